import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { configItemsFromSchema } from '../../src/types/config-items.js';

describe('configItemsFromSchema', () => {
  const schema = z.object({
    client_id: z.string().min(1).meta({ description: 'OAuth client id' }),
    client_secret: z.string().min(1).meta({ description: 'OAuth client secret', secret: true }),
    root_folder_id: z.string().default('root').meta({ description: 'Folder to mount' }),
    quality: z.enum(['original', 'large']).default('original'),
    page_size: z.number().int().default(100),
    show_hidden: z.boolean().optional(),
    notes: z.string().optional().meta({ multiline: true }),
  });
  const items = Object.fromEntries(configItemsFromSchema(schema).map((item) => [item.name, item]));

  it('keeps field order and marks required fields without defaults', () => {
    expect(Object.keys(items)).toEqual([
      'client_id', 'client_secret', 'root_folder_id', 'quality', 'page_size', 'show_hidden', 'notes',
    ]);
    expect(items.client_id).toEqual({ name: 'client_id', type: 'string', required: true, help: 'OAuth client id' });
    expect(items.root_folder_id).toMatchObject({ required: false, default: 'root', help: 'Folder to mount' });
  });

  it('maps types, options and secrets', () => {
    expect(items.client_secret.secret).toBe(true);
    expect(items.client_id.secret).toBeUndefined();
    expect(items.quality).toMatchObject({ type: 'select', options: ['original', 'large'], default: 'original' });
    expect(items.page_size).toMatchObject({ type: 'number', default: 100 });
    expect(items.show_hidden).toMatchObject({ type: 'bool', required: false });
    expect(items.notes.type).toBe('text');
  });
});
