import {
  Body,
  Controller,
  Get,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import { parseRequest } from '@pardot-x3/service-runtime';
import type { ServerResponse } from 'node:http';
import { ConfirmOrderUseCase } from './confirm-order.use-case.js';
import { OrderConfirmationGuard } from './order-confirmation.guard.js';
import {
  confirmOrderRequestSchema,
  orderConfirmationParamsSchema,
} from './order-confirmation.request-schema.js';
import type { ConfirmationBody } from './order-confirmation.types.js';

const STATUS: Readonly<Record<ConfirmationBody['outcome'], number>> = {
  CREATED: HttpStatus.CREATED,
  REJECTED: HttpStatus.UNPROCESSABLE_ENTITY,
  PENDING: HttpStatus.ACCEPTED,
  NOT_ELIGIBLE: HttpStatus.CONFLICT,
};

/**
 * Synchronous order confirmation for a Salesforce Flow button or any caller:
 * `POST /orders/confirmations {"opportunityId": "006…"}` answers 201 with the X3 order number, 422 with
 * the typed rejection, 202 with a status URL when X3 did not answer in time, 409 when the opportunity
 * is not Closed Won with product lines; `GET /orders/confirmations/:opportunityId` shows the outcome.
 * Ids and bodies are checked by `order-confirmation.request-schema.ts` (400 naming the problem).
 */
@Controller('orders/confirmations')
@UseGuards(OrderConfirmationGuard)
export class OrderConfirmationController {
  constructor(private readonly confirmOrder: ConfirmOrderUseCase) {}

  @Post()
  async confirm(
    @Body() body: unknown,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<ConfirmationBody> {
    const { opportunityId } = parseRequest(confirmOrderRequestSchema, body, 'the order confirmation request');
    const answer = await this.confirmOrder.execute(opportunityId);
    if (!answer) throw new NotFoundException(`Salesforce has no Opportunity ${opportunityId}`);
    res.statusCode = STATUS[answer.outcome];
    if (answer.outcome === 'PENDING') res.setHeader('location', answer.statusUrl);
    return answer;
  }

  @Get(':opportunityId')
  async status(
    @Param('opportunityId') opportunityId: string,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<ConfirmationBody> {
    parseRequest(orderConfirmationParamsSchema, { opportunityId }, 'the order confirmation id');
    const answer = await this.confirmOrder.status(opportunityId);
    if (!answer) throw new NotFoundException(`no order was requested for ${opportunityId}`);
    res.statusCode = answer.outcome === 'PENDING' ? HttpStatus.ACCEPTED : HttpStatus.OK;
    return answer;
  }
}
