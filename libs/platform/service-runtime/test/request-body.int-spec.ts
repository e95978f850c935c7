import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { httpServerConfigSchemaWithPort } from '@pardot-x3/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp, Public } from '../src/index.js';

const PORT = 16152;

@Controller('echo')
@Public('a test route')
class EchoController {
  @Post()
  @HttpCode(200)
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

/**
 * Issue 11: a body whose bytes are not UTF-8 is refused by every service route with a 400, instead of
 * reaching the handler with U+FFFD where the bytes were (a lookup by such an email answered 404, as if
 * the value were real).
 */
describe('service runtime: request bodies that are not UTF-8', () => {
  let app: { shutdown(signal?: string): Promise<void> } | undefined;

  beforeAll(async () => {
    const service = await createServiceApp({
      service: 'utf8-test',
      configSchema: httpServerConfigSchemaWithPort(PORT),
      module: EchoModule,
      env: { HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    });
    app = service;
    await service.listen();
  });

  afterAll(async () => {
    await app?.shutdown('test end');
  });

  const post = (body: Buffer) =>
    fetch(`http://127.0.0.1:${PORT}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  it('answers 400 with a clear message to bytes that are not UTF-8, and echoes UTF-8', async () => {
    const bad = await post(Buffer.from('{"email":"\xff\xfe@example.com"}', 'latin1'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      statusCode: 400,
      message: 'the request body is not valid UTF-8',
    });
    const good = await post(Buffer.from('{"email":"zoë🚲@example.com"}'));
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ email: 'zoë🚲@example.com' });
  });
});
