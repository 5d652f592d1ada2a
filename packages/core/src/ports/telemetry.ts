/**
 * @module telemetry
 * What core reports for metrics: finished model calls and refused budgets. The server implements it with
 * Prometheus counters; the default does nothing. Implementations must be cheap and must not throw.
 */

import type { TokenUsage } from '../usage/token-usage.ts';
import type { UsageOutcome } from './records.ts';

export interface GenerationReport {
  model: string;
  outcome: UsageOutcome;
  usage: TokenUsage;
  /** `null` when the model has no price. */
  costMicroUsd: number | null;
  latencyMs: number;
}

export interface Telemetry {
  generationFinished(report: GenerationReport): void;
  budgetExceeded(projectId: string): void;
}

export const noTelemetry: Telemetry = { generationFinished() {}, budgetExceeded() {} };
