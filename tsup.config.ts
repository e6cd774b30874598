import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    pino: 'src/integrations/pino.ts',
    winston: 'src/integrations/winston.ts',
    express: 'src/integrations/express.ts',
    fastify: 'src/integrations/fastify.ts',
    hono: 'src/integrations/hono.ts',
    nestjs: 'src/integrations/nestjs.ts',
  },
  // The logger and framework packages are optional peers: users bring their own copy.
  external: ['pino', 'winston', 'winston-transport', 'express', 'fastify', 'hono', 'rxjs'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  // Shared chunks: every entry point uses the same client and error classes, so instanceof holds across them.
  splitting: true,
  treeshake: true,
});
