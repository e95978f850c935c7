import {
  BadRequestException,
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
import type { ServerResponse } from 'node:http';
import { ConfirmOrderUseCase } from './confirm-order.use-case.js';
import { OrderConfirmationGuard } from './order-confirmation.guard.js';
import type { ConfirmationBody } from './order-confirmation.types.js';

const OPPORTUNITY_ID = /^006[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;

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
    const opportunityId =
      body !== null && typeof body === 'object'
        ? (body as Record<string, unknown>)['opportunityId']
        : undefined;
    if (typeof opportunityId !== 'string' || !OPPORTUNITY_ID.test(opportunityId))
      throw new BadRequestException(
        'opportunityId must be a Salesforce Opportunity id (15 or 18 characters, 006…)',
      );
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
    const answer = await this.confirmOrder.status(opportunityId);
    if (!answer) throw new NotFoundException(`no order was requested for ${opportunityId}`);
    res.statusCode = answer.outcome === 'PENDING' ? HttpStatus.ACCEPTED : HttpStatus.OK;
    return answer;
  }
}
