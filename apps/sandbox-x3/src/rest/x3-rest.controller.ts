import { All, Controller, Get, Param, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { sendSandboxResponse } from '@pardot-x3/sandbox-kit';
import { X3BasicAuthGuard, type X3Request } from '../auth/x3-basic-auth.guard.js';
import { DeliveryService } from '../business/delivery.service.js';
import { MasterDataService } from '../business/master-data.service.js';
import { SalesOrderService } from '../business/sales-order.service.js';
import {
  X3_CLASSES,
  type X3ClassDef,
  type X3ClassName,
  type X3Facet,
} from '../catalog/x3-class-catalog.constants.js';
import { X3_CONTENT_TYPE } from '../errors/x3-exception.filter.js';
import { X3BusinessError, X3HttpError, diagnosis } from '../errors/x3-http.error.js';
import { detailsResource, runX3Query } from '../query/x3-query.util.js';
import type { X3Record } from '../store/x3-record.types.js';
import { X3Store, type X3Folder } from '../store/x3-store.service.js';

const KNOWN_FACETS = new Set(['$query', '$details', '$edit', '$create', '$lookup', '$summary']);

interface ResolvedResource {
  readonly folder: X3Folder;
  readonly def: X3ClassDef;
  readonly key?: string;
  readonly facet: X3Facet;
  readonly classUrl: string;
}

/**
 * The REST "Web API" (SData 2.0, /api1): /api1/x3/erp/<FOLDER>/<CLASS>?representation=<REPR>.$query,
 * <CLASS>('<KEY>')?representation=<REPR>.$details | $edit (GET, PUT), and POST ….$create. The
 * representation is mandatory and must belong to the class; business errors come inside the payload
 * as $diagnoses.
 */
@Controller('api1/x3/erp')
@UseGuards(X3BasicAuthGuard)
export class X3RestController {
  constructor(
    private readonly store: X3Store,
    private readonly orders: SalesOrderService,
    private readonly deliveries: DeliveryService,
    private readonly masterData: MasterDataService,
  ) {}

  @Get(':folder/:resource')
  read(
    @Param('folder') folder: string,
    @Param('resource') resource: string,
    @Req() req: X3Request,
    @Res() res: ServerResponse,
  ): void {
    const target = this.resolve(folder, resource, req);
    if (target.key === undefined) {
      this.expectFacet(target, ['$query'], 'GET on a class');
      reply(
        res,
        200,
        runX3Query({
          def: target.def,
          records: target.folder.records[target.def.name].values(),
          query: req.query,
          classUrl: target.classUrl,
        }),
      );
      return;
    }
    this.expectFacet(target, ['$details', '$edit'], `GET on ${target.def.name}('…')`);
    const extra = Object.keys(req.query).filter((k) => k !== 'representation');
    if (extra.length > 0) throw new X3HttpError(400, `Unknown query parameter ${extra.join(', ')}`);
    reply(res, 200, detailsResource(this.existing(target)));
  }

  @Post(':folder/:resource')
  create(
    @Param('folder') folder: string,
    @Param('resource') resource: string,
    @Req() req: X3Request,
    @Res() res: ServerResponse,
  ): void {
    const target = this.resolve(folder, resource, req);
    if (target.key !== undefined) throw new X3HttpError(405, 'POST creates on the class URL, without a key');
    this.expectFacet(target, ['$create'], 'POST');
    const user = req.x3User ?? 'ADMIN';
    const record = this.createRecord(target.folder, target.def.name, req.body, user);
    reply(res, 201, detailsResource(record), {
      Location: `${target.classUrl}('${record.key}')?representation=${target.def.representation}.$details`,
    });
  }

  @Put(':folder/:resource')
  update(
    @Param('folder') folder: string,
    @Param('resource') resource: string,
    @Req() req: X3Request,
    @Res() res: ServerResponse,
  ): void {
    const target = this.resolve(folder, resource, req);
    if (target.key === undefined) throw new X3HttpError(405, "PUT updates one record: <CLASS>('<KEY>')");
    this.expectFacet(target, ['$edit'], 'PUT');
    const record = this.existing(target);
    const ifMatch = req.headers['if-match'];
    if (
      typeof ifMatch === 'string' &&
      ifMatch.replace(/^W\//, '').replace(/"/g, '') !== record.values['UPDDATTIM']
    ) {
      throw new X3HttpError(
        412,
        `The record has been modified since it was read (current $etag ${String(record.values['UPDDATTIM'])})`,
      );
    }
    const user = req.x3User ?? 'ADMIN';
    const updated = this.editRecord(target.folder, record, req.body, user);
    reply(res, 200, detailsResource(updated));
  }

  @All(':folder/:resource')
  otherMethod(@Req() req: X3Request): never {
    throw new X3HttpError(405, `${req.method ?? ''} is not supported here`);
  }

  @All(':folder/:resource/:sub')
  subResource(@Param('sub') sub: string): never {
    throw new X3HttpError(
      501,
      `${sub} is not implemented by the pardot-x3 sandbox (see docs/sandboxes/x3.md)`,
    );
  }

  private createRecord(folder: X3Folder, className: X3ClassName, body: unknown, user: string): X3Record {
    switch (className) {
      case 'BPCUSTOMER':
        return this.masterData.createCustomer(folder, body, user);
      case 'ITMMASTER':
        return this.masterData.createItem(folder, body, user);
      case 'SORDER':
        return this.orders.create(folder, body, user);
      case 'SDELIVERY':
        return this.deliveries.create(folder, body, user);
      default:
        throw new X3HttpError(405, `${className} cannot be created through the Web API`);
    }
  }

  private editRecord(folder: X3Folder, record: X3Record, body: unknown, user: string): X3Record {
    switch (record.className) {
      case 'BPCUSTOMER':
        return this.masterData.editCustomer(folder, record, body, user);
      case 'ITMMASTER':
        return this.masterData.editItem(folder, record, body, user);
      case 'SORDER':
        return this.orders.edit(folder, record, body, user);
      default:
        throw new X3HttpError(405, `${record.className} cannot be edited through the Web API`);
    }
  }

  private resolve(folderName: string, resource: string, req: X3Request): ResolvedResource {
    const folder = this.store.folder(folderName);
    if (!folder) throw new X3HttpError(404, `Endpoint ${folderName} not found`);
    const m = /^([A-Z0-9_]+)(?:\('(.*)'\))?$/.exec(resource);
    if (!m) throw new X3HttpError(400, `"${resource}" is not <CLASS> or <CLASS>('<KEY>')`);
    const className = m[1] as string;
    const def = (X3_CLASSES as Record<string, X3ClassDef | undefined>)[className];
    if (!def) throw new X3HttpError(404, `Class ${className} not found`);
    const representation = req.query['representation'];
    if (typeof representation !== 'string' || representation === '') {
      throw new X3HttpError(
        400,
        `The representation parameter is mandatory, e.g. representation=${def.representation}.$query`,
      );
    }
    const r = /^([A-Z0-9_]+)\.(\$[A-Za-z]+)$/.exec(representation);
    if (!r)
      throw new X3HttpError(
        400,
        `representation must be <REPRESENTATION>.<$facet>, e.g. ${def.representation}.$query`,
      );
    if (r[1] !== def.representation)
      throw new X3HttpError(
        400,
        `Representation ${r[1] ?? ''} does not belong to class ${def.name} (use ${def.representation})`,
      );
    const facet = r[2] as string;
    if (!KNOWN_FACETS.has(facet)) throw new X3HttpError(400, `Unknown facet ${facet}`);
    if (facet === '$lookup' || facet === '$summary')
      throw new X3HttpError(501, `The ${facet} facet is not implemented by the pardot-x3 sandbox`);
    if (!def.facets.includes(facet as X3Facet))
      throw new X3HttpError(400, `The ${facet} facet is not available for ${def.representation}`);
    const host = req.headers.host ?? '127.0.0.1';
    return {
      folder,
      def,
      key: m[2],
      facet: facet as X3Facet,
      classUrl: `http://${host}/api1/x3/erp/${folder.name}/${def.name}`,
    };
  }

  private expectFacet(target: ResolvedResource, allowed: readonly X3Facet[], what: string): void {
    if (!allowed.includes(target.facet))
      throw new X3HttpError(400, `${what} needs the ${allowed.join(' or ')} facet, not ${target.facet}`);
  }

  /** A read of a missing record is a 200 carrying "721 : Record does not exist" (apis.md §3.2). */
  private existing(target: ResolvedResource): X3Record {
    const record = target.folder.get(target.def.name, target.key ?? '');
    if (!record) throw new X3BusinessError([diagnosis('721 : Record does not exist')]);
    return record;
  }
}

function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendSandboxResponse(res, { status, headers: { 'content-type': X3_CONTENT_TYPE, ...headers }, body });
}
