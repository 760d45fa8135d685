/**
 * zod with OpenAPI metadata (`.openapi('Name')` names a schema as a component of the document). Every schema of the
 * HTTP API imports `z` from here, so the extension is in place before any of them is built.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
