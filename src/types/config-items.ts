import { z } from 'zod';

export type ConfigItemType = 'string' | 'number' | 'bool' | 'select' | 'text';

/** One field of a storage's settings, as an admin form renders it. */
export interface ConfigItem {
  name: string;
  type: ConfigItemType;
  required: boolean;
  default?: string | number | boolean;
  options?: string[];
  help?: string;
  /** Never sent back to a browser once stored; masked in every answer. */
  secret?: boolean;
  /**
   * The secrets belong to this field's value (an upstream address, an OAuth client): when it changes, stored
   * secrets are not kept for the new value; an update must send them again.
   */
  bindsSecrets?: boolean;
}

/** Extra keys a driver may put in a field's zod `.meta()` to shape its form item. */
export interface ConfigFieldMeta {
  description?: string;
  secret?: boolean;
  /** See ConfigItem.bindsSecrets. */
  bindsSecrets?: boolean;
  /** Render as a multi-line text area instead of a one-line input. */
  multiline?: boolean;
}

interface JsonSchemaField {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  secret?: boolean;
  bindsSecrets?: boolean;
  multiline?: boolean;
}

function itemType(field: JsonSchemaField): ConfigItemType {
  if (field.enum) return 'select';
  if (field.type === 'boolean') return 'bool';
  if (field.type === 'number' || field.type === 'integer') return 'number';
  return field.multiline ? 'text' : 'string';
}

/** Derive the admin form of a driver from the zod schema of its settings. */
export function configItemsFromSchema(schema: z.ZodObject): ConfigItem[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchemaField>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, field]) => {
    const item: ConfigItem = { name, type: itemType(field), required: required.has(name) };
    if (field.default !== undefined) item.default = field.default as ConfigItem['default'];
    if (field.enum) item.options = field.enum.map(String);
    if (field.description) item.help = field.description;
    if (field.secret) item.secret = true;
    if (field.bindsSecrets) item.bindsSecrets = true;
    return item;
  });
}
