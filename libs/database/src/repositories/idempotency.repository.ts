import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Repository } from 'typeorm';
import { IdempotencyRecordEntity } from '../entities';

@Injectable()
export class IdempotencyRepository {
  constructor(
    @InjectRepository(IdempotencyRecordEntity) private readonly repo: Repository<IdempotencyRecordEntity>,
  ) {}

  /** Claims the key; false when someone already holds it (then read it with `find`). */
  async claim(principal: string, key: string, requestHash: string): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .insert()
      .values({ principal, key, requestHash })
      .orIgnore()
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  find(principal: string, key: string): Promise<IdempotencyRecordEntity | null> {
    return this.repo.findOneBy({ principal, key });
  }

  async complete(principal: string, key: string, status: number, body: unknown): Promise<void> {
    await this.repo.update({ principal, key }, { responseStatus: status, responseBody: body as object });
  }

  /** A failed first attempt must not block a retry. */
  async release(principal: string, key: string): Promise<void> {
    await this.repo.delete({ principal, key, responseStatus: IsNull() });
  }

  async purgeOlderThan(hours: number): Promise<number> {
    const cutoff = new Date(Date.now() - hours * 3_600_000);
    const result = await this.repo.delete({ createdAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}
