import type { VariableDefinition } from '../../prompts/variables';

/** Shorthands the category files write their templates with: variable kinds and model settings. */

export const text = (
  name: string,
  description: string,
  extra: Partial<VariableDefinition> = {},
): VariableDefinition => ({
  name,
  description,
  type: 'text',
  required: true,
  ...extra,
});
export const optionalText = (name: string, description: string): VariableDefinition =>
  text(name, description, { required: false });
export const number = (name: string, description: string, defaultValue: number): VariableDefinition => ({
  name,
  description,
  type: 'number',
  required: true,
  defaultValue,
});
export const boolean = (name: string, description: string, defaultValue: boolean): VariableDefinition => ({
  name,
  description,
  type: 'boolean',
  required: false,
  defaultValue,
});
export const select = (
  name: string,
  description: string,
  options: string[],
  defaultValue = options[0],
): VariableDefinition => ({ name, description, type: 'select', required: true, options, defaultValue });

export const tone = (defaultValue = 'friendly') =>
  select(
    'tone',
    'Voice of the text',
    ['friendly', 'professional', 'playful', 'formal', 'direct'],
    defaultValue,
  );

export const CREATIVE = { model: 'gpt-4o', temperature: 0.8, maxTokens: 1200 };
export const BALANCED = { model: 'gpt-4o', temperature: 0.5, maxTokens: 1500 };
export const PRECISE = { model: 'gpt-4o', temperature: 0.2, maxTokens: 2000 };
export const FAST = { model: 'gpt-4o-mini', temperature: 0.3, maxTokens: 800 };
