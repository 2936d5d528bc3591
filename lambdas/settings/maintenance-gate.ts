// What the REST v1 functions pass to restHandler so that maintenance mode closes their routes (settings.maintenance,
// read through the per-container cache: one GetItem per container per 30 s at most, none per request).
import type { RestHandlerOptions } from '../rest/v1/http.js';
import { maintenanceOf } from './application/settings-reader.js';
import { settingsItem } from './wiring.js';

export const maintenanceGate: RestHandlerOptions = { maintenance: async () => maintenanceOf(await settingsItem().get()) };
