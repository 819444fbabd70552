import { StreamableFile } from '@nestjs/common';
import { DomainError, ErrorCode } from '@allmende/core';
import type { PoolStatements, StatementFormat, StatementFileRenderer } from '@allmende/cost-sharing';
import { StatementFiles } from './statement-files';
import { negotiateFormat } from './statement-format';

const doc = { poolId: 'p', period: '2026-11', statements: [] } as unknown as PoolStatements;

describe('statement formats', () => {
  it('picks the format from format=, then Accept by q, JSON by default', () => {
    expect(negotiateFormat(undefined, undefined)).toBe('json');
    expect(negotiateFormat('pdf', 'application/json')).toBe('pdf');
    expect(negotiateFormat(undefined, 'text/csv')).toBe('csv');
    expect(negotiateFormat(undefined, 'application/json;q=0.5, application/pdf')).toBe('pdf');
    expect(
      negotiateFormat(undefined, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    ).toBe('xlsx');
    expect(negotiateFormat(undefined, '*/*')).toBe('json');
    expect(() => negotiateFormat(undefined, 'image/png')).toThrow(DomainError);
  });

  it('hands files to the renderer plugged in, with its type and file name', async () => {
    const asked: StatementFormat[] = [];
    const renderer: StatementFileRenderer = {
      render: (d, format) => {
        asked.push(format);
        return Promise.resolve({
          contentType: 'application/pdf',
          filename: `abrechnung-${d.period}.pdf`,
          body: Buffer.from('%PDF'),
        });
      },
    };
    const files = new StatementFiles(renderer);
    expect(await files.answer(doc, 'json')).toBe(doc);
    const file = await files.answer(doc, 'pdf');
    expect(file).toBeInstanceOf(StreamableFile);
    expect((file as StreamableFile).getHeaders()).toMatchObject({
      type: 'application/pdf',
      disposition: 'attachment; filename="abrechnung-2026-11.pdf"',
    });
    expect(asked).toEqual(['pdf']);
  });

  it('without a renderer, files are 406 Not Acceptable', async () => {
    await expect(new StatementFiles().answer(doc, 'xlsx')).rejects.toMatchObject({
      code: ErrorCode.NotAcceptable,
    });
  });
});
