import { Global, Module } from '@nestjs/common';
import { CustomerDirectory } from './customer-directory.service.js';
import { GoldenContactHandler } from './golden-contact.handler.js';

/** The golden customers' e-mail per X3 customer (group pardot-writer.customer-directory). */
@Global()
@Module({ providers: [CustomerDirectory, GoldenContactHandler], exports: [CustomerDirectory] })
export class CustomerDirectoryModule {}
