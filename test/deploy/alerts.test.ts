/**
 * deploy/prometheus/alerts.yml: every rule is complete (expr, for, severity, summary, a runbook comment and
 * a runbook section in docs/monitoring.md), uses only the metrics the server exports, and the topics the
 * shipping issue asks for are all covered.
 */
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, readYamlDocuments } from './support/deploy-files.ts';

/** The metrics contract the server implements with prom-client (documented in docs/monitoring.md). */
const SERVER_METRICS = [
  'http_request_duration_seconds',
  'http_requests_in_flight',
  'zekka_ws_connections',
  'zekka_ws_events_delivered_total',
  'zekka_generations_total',
  'zekka_tokens_total',
  'zekka_cost_usd_total',
  'zekka_store_errors_total',
  'zekka_cache_errors_total',
  'zekka_budget_exceeded_total',
  'zekka_ready',
];
/** Series that are not the server's own: Prometheus' `up` and prom-client's default process metrics. */
const OTHER_SERIES = /^(up|process_\w+|nodejs_\w+)$/;
const PROMQL_WORDS = new Set([
  'sum',
  'by',
  'without',
  'rate',
  'increase',
  'changes',
  'absent',
  'histogram_quantile',
  'and',
  'or',
  'unless',
  'on',
  'ignoring',
  'job',
  'instance',
  'status',
  'route',
  'le',
  'model',
  'outcome',
  'kind',
  'method',
]);

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string; runbook_url?: string };
}

const ALERTS_PATH = 'deploy/prometheus/alerts.yml';
const [file] = readYamlDocuments(ALERTS_PATH) as [{ groups: { name: string; rules: Rule[] }[] }];
const rules = file.groups.flatMap((group) => group.rules);
const raw = readFileSync(join(REPO_ROOT, ALERTS_PATH), 'utf8');
const monitoring = readFileSync(join(REPO_ROOT, 'docs', 'monitoring.md'), 'utf8');
const promtool = Bun.which('promtool');

/** Histogram series names (`_bucket`, `_count`, `_sum`) count as their histogram. */
function metricName(series: string): string {
  return series.replace(/_(bucket|count|sum)$/, '');
}

describe.each(rules.map((rule) => [rule.alert, rule] as const))('%s', (name, rule) => {
  test('has expr, for, a severity and a summary', () => {
    expect(rule.expr.trim()).not.toBe('');
    expect(rule.for).toMatch(/^\d+[smh]$/);
    expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity ?? '');
    expect(rule.annotations?.summary?.trim()).not.toBe('');
  });

  test('says what to do: a "# Runbook:" comment above it and a section in docs/monitoring.md', () => {
    const at = raw.indexOf(`- alert: ${name}\n`);
    const before = raw.slice(0, at).trimEnd().split('\n');
    const comment = before.slice(before.findLastIndex((line) => !line.trim().startsWith('#')) + 1);
    expect(comment.join('\n')).toMatch(/^\s*# Runbook: \S/);
    expect(rule.annotations?.runbook_url).toBe(`docs/monitoring.md#${name.toLowerCase()}`);
    expect(monitoring).toMatch(new RegExp(`^#+ \`?${name}\`?$`, 'm'));
  });

  test('uses only metrics the server exports', () => {
    const identifiers = rule.expr.replace(/"[^"]*"|\[[^\]]*\]/g, '').match(/[a-z_][a-z0-9_]*/g) ?? [];
    const series = identifiers.filter((word) => !PROMQL_WORDS.has(word));
    expect(
      series.filter((word) => !SERVER_METRICS.includes(metricName(word)) && !OTHER_SERIES.test(word)),
    ).toEqual([]);
  });
});

test('the rules cover errors, p99 latency, readiness, store, cache, budgets and model failures', () => {
  const exprs = rules.map((rule) => rule.expr.replace(/\s+/g, ' ')).join('\n');
  expect(exprs).toContain('http_request_duration_seconds_count{job="zekka", status=~"5.."}');
  expect(exprs).toContain(
    'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket',
  );
  expect(exprs).toContain('zekka_ready{job="zekka"} == 0');
  expect(exprs).toContain('up{job="zekka"} == 0');
  expect(exprs).toContain('rate(zekka_store_errors_total{job="zekka"}[5m])');
  expect(exprs).toContain('zekka_cache_errors_total');
  expect(exprs).toContain('increase(zekka_budget_exceeded_total{job="zekka"}[1h])');
  expect(exprs).toContain('zekka_generations_total{job="zekka", outcome="failed"}');
});

test('docs/monitoring.md explains every metric of the contract', () => {
  expect(SERVER_METRICS.filter((metric) => !monitoring.includes(`\`${metric}\``))).toEqual([]);
});

test.skipIf(promtool === null)(
  'promtool accepts the rules and the example config (skipped: no promtool)',
  () => {
    for (const args of [
      ['check', 'rules', ALERTS_PATH],
      ['check', 'config', 'deploy/prometheus/prometheus.yml'],
    ]) {
      const result = Bun.spawnSync(['promtool', ...args], { cwd: REPO_ROOT });
      expect({ args, exitCode: result.exitCode, output: result.stderr.toString() }).toEqual({
        args,
        exitCode: 0,
        output: '',
      });
    }
  },
);
