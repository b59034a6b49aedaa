/**
 * The offline default content engine (SYS-003, ED-005, SM-004): deterministic templates and rules
 * (domain/content-templates.ts), no network, no credentials.
 */
import { composeFromTemplates } from '../../domain/content-templates.js';
import type { ContentEngine } from '../ports/content.js';

export function createTemplateContentEngine(): ContentEngine {
  return {
    name: 'template',
    compose: async (req) => composeFromTemplates(req),
  };
}
