import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { AdminExceptionFilter, AdminRequestError, AdminTokenGuard } from '@pardot-x3/sandbox-kit';
import { DeliveryService } from '../business/delivery.service.js';
import { StockService, type StockMovement } from '../business/stock.service.js';
import { NOTIFYING_CLASSES, type X3ClassName } from '../catalog/x3-class-catalog.constants.js';
import { X3BusinessError } from '../errors/x3-http.error.js';
import { detailsResource } from '../query/x3-query.util.js';
import { X3Store, SYSTEM_USER, type X3Folder } from '../store/x3-store.service.js';
import type { WebhookDelivery } from '../webhooks/webhook.types.js';
import { WebhookEmitter } from '../webhooks/webhook-emitter.service.js';

const MAX_GENERATED_MOVEMENTS = 100_000;

/**
 * X3-only admin routes (X-Admin-Token): webhook targets and their deliveries, the warehouse's delivery
 * validation, and stock movements. `?folder=` picks the folder (default: the first one).
 */
@Controller('__admin/x3')
@UseGuards(AdminTokenGuard)
@UseFilters(AdminExceptionFilter)
export class X3AdminController {
  constructor(
    private readonly store: X3Store,
    private readonly webhooks: WebhookEmitter,
    private readonly deliveries: DeliveryService,
    private readonly stock: StockService,
  ) {}

  @Get('webhooks')
  listTargets(): { targets: { id: string; url: string; classes: readonly X3ClassName[] }[] } {
    return { targets: this.webhooks.listTargets().map(({ id, url, classes }) => ({ id, url, classes })) };
  }

  /** {url, secret (≥ 16 characters), classes?: ["SORDER", …], id?} */
  @Post('webhooks')
  @HttpCode(201)
  addTarget(@Body() body: unknown): { id: string; url: string; classes: readonly X3ClassName[] } {
    const input = object(
      body,
      '{"url":"http://127.0.0.1:3002/webhooks/x3","secret":"…16+ characters…","classes":["SORDER"]}',
    );
    const url = input['url'];
    if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url))
      throw new AdminRequestError('url must be an http(s) URL');
    const secret = input['secret'];
    if (typeof secret !== 'string' || secret.length < 16)
      throw new AdminRequestError('secret must be a string of at least 16 characters');
    const classes = input['classes'];
    if (
      classes !== undefined &&
      (!Array.isArray(classes) ||
        !classes.every((c) => (NOTIFYING_CLASSES as readonly unknown[]).includes(c)))
    ) {
      throw new AdminRequestError(`classes must be a list of ${NOTIFYING_CLASSES.join(', ')}`);
    }
    const id = input['id'];
    if (id !== undefined && (typeof id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(id)))
      throw new AdminRequestError('id must be 1-64 letters, digits, ".", "_" or "-"');
    const target = this.webhooks.addTarget({
      url,
      secret,
      ...(classes ? { classes: classes as X3ClassName[] } : {}),
      ...(id ? { id } : {}),
    });
    return { id: target.id, url: target.url, classes: target.classes };
  }

  @Delete('webhooks/:id')
  @HttpCode(204)
  removeTarget(@Param('id') id: string): void {
    if (!this.webhooks.removeTarget(id)) throw new NotFoundException(`no webhook target "${id}"`);
  }

  /** Every notification with its attempts (status or error) and state: pending, delivered or failed. */
  @Get('webhook-deliveries')
  listDeliveries(
    @Query('state') state?: string,
    @Query('targetId') targetId?: string,
  ): { deliveries: Omit<WebhookDelivery, 'body'>[] } {
    if (state && !['pending', 'delivered', 'failed'].includes(state))
      throw new AdminRequestError('state must be pending, delivered or failed');
    return {
      deliveries: this.webhooks.listDeliveries({ state, targetId }).map(({ body: _body, ...rest }) => rest),
    };
  }

  /** The warehouse validates a delivery: stock is issued, the order's delivered quantities move on. */
  @Post('deliveries/:id/validate')
  @HttpCode(200)
  validateDelivery(@Param('id') id: string, @Query('folder') folderName?: string): Record<string, unknown> {
    const folder = this.folder(folderName);
    const delivery = folder.get('SDELIVERY', id);
    if (!delivery) throw new NotFoundException(`no delivery ${id} in folder ${folder.name}`);
    try {
      return detailsResource(this.deliveries.validate(folder, delivery, SYSTEM_USER));
    } catch (error) {
      if (error instanceof X3BusinessError) throw new AdminRequestError(error.message);
      throw error;
    }
  }

  /**
   * Stock movements: {movements: [{ITMREF, STOFCY, QTY}]} applies them in order; {generate: N, seed?}
   * applies N deterministic movements over the existing stock rows. Each one changes an ITMMVT row
   * (and is announced to the webhook targets).
   */
  @Post('stock-movements')
  @HttpCode(200)
  applyMovements(
    @Body() body: unknown,
    @Query('folder') folderName?: string,
  ): { applied: number; refused: { index: number; reason: string }[] } {
    const folder = this.folder(folderName);
    const input = object(
      body,
      '{"movements":[{"ITMREF":"BIK-1001","STOFCY":"FR011","QTY":10}]} or {"generate":10000}',
    );
    let movements: StockMovement[];
    if (input['generate'] !== undefined) {
      const count = input['generate'];
      if (
        typeof count !== 'number' ||
        !Number.isInteger(count) ||
        count < 1 ||
        count > MAX_GENERATED_MOVEMENTS
      ) {
        throw new AdminRequestError(`generate must be a whole number from 1 to ${MAX_GENERATED_MOVEMENTS}`);
      }
      const seed = input['seed'] ?? this.store.seededFrom.seed;
      if (typeof seed !== 'number' || !Number.isInteger(seed))
        throw new AdminRequestError('seed must be a whole number');
      movements = this.stock.generate(folder, count, seed);
    } else {
      const list = input['movements'];
      if (!Array.isArray(list) || list.length === 0)
        throw new AdminRequestError('movements must be a non-empty list of {ITMREF, STOFCY, QTY}');
      movements = list.map((m, i) => {
        const { ITMREF, STOFCY, QTY } = (m ?? {}) as Record<string, unknown>;
        if (
          typeof ITMREF !== 'string' ||
          typeof STOFCY !== 'string' ||
          typeof QTY !== 'number' ||
          !Number.isFinite(QTY) ||
          QTY === 0
        ) {
          throw new AdminRequestError(
            `movements[${i}] must be {ITMREF: string, STOFCY: string, QTY: non-zero number}`,
          );
        }
        return { ITMREF, STOFCY, QTY };
      });
    }
    return this.stock.apply(folder, movements, SYSTEM_USER);
  }

  private folder(name: string | undefined): X3Folder {
    const folder = this.store.folder(name ?? this.store.folderNames()[0] ?? '');
    if (!folder)
      throw new AdminRequestError(
        `unknown folder "${name ?? ''}"; folders: ${this.store.folderNames().join(', ')}`,
      );
    return folder;
  }
}

function object(body: unknown, example: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AdminRequestError(`send a JSON object, e.g. ${example}`);
  return body as Record<string, unknown>;
}
