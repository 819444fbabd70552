import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
} from '@nestjs/swagger';

const pages = new Map<Type<unknown>, Type<unknown>>();

/** The OpenAPI schema of a page of items: `{ items: [...], nextCursor }`. */
export function PageOf<T>(item: Type<T>): Type<unknown> {
  let page = pages.get(item);
  if (!page) {
    class Page {
      @ApiProperty({ type: [item] }) items: T[];
      @ApiProperty({
        nullable: true,
        type: String,
        description: 'Pass as `cursor` for the next page; null on the last page',
      })
      nextCursor: string | null;
    }
    Object.defineProperty(Page, 'name', { value: `${item.name}Page` });
    page = Page;
    pages.set(item, page);
  }
  return page;
}

const lists = new Map<Type<unknown>, Type<unknown>>();

/** `{ items: [...] }` without paging (short lists such as a pool's members). */
export function ListOf<T>(item: Type<T>): Type<unknown> {
  let list = lists.get(item);
  if (!list) {
    class List {
      @ApiProperty({ type: [item] }) items: T[];
    }
    Object.defineProperty(List, 'name', { value: `${item.name}List` });
    list = List;
    lists.set(item, list);
  }
  return list;
}

/**
 * One operation's documentation: what it does (summary), how (description), and what it answers
 * on success. Every operation of the API carries one; a test reads /docs-json to hold it so.
 */
export function ApiDoc(doc: {
  summary: string;
  description: string;
  ok?: Type<unknown> | [Type<unknown>];
  created?: Type<unknown>;
  accepted?: Type<unknown>;
  noContent?: true;
}) {
  const decorators = [ApiOperation({ summary: doc.summary, description: doc.description })];
  if (doc.ok) decorators.push(ApiOkResponse({ type: doc.ok }));
  if (doc.created) decorators.push(ApiCreatedResponse({ type: doc.created }));
  if (doc.accepted) decorators.push(ApiAcceptedResponse({ type: doc.accepted }));
  if (doc.noContent) decorators.push(ApiNoContentResponse({ description: 'Done; no body' }));
  return applyDecorators(...decorators);
}
