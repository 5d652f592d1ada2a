/**
 * @module models-service
 * `GET /models` (row 60): the configured models with their prices and context windows.
 */
import type { ModelRegistry } from '../ports/models.ts';
import type { ModelListItem } from '../types.ts';

export interface ModelsService {
  list(): ModelListItem[];
}

export function createModelsService(models: ModelRegistry): ModelsService {
  return {
    list: () => models.list().map((info) => ({ ...info, default: info.id === models.defaultModel })),
  };
}
