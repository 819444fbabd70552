import { Injectable } from '@nestjs/common';
import { Conflict, NotFound } from '@allmende/core';
import { MunicipalityEntity, MunicipalityRepository, NewMunicipality } from '@allmende/database';

@Injectable()
export class MunicipalitiesService {
  constructor(private readonly municipalities: MunicipalityRepository) {}

  async create(input: NewMunicipality): Promise<MunicipalityEntity> {
    if (await this.municipalities.findByAgs(input.ags)) {
      throw new Conflict(`A municipality with AGS ${input.ags} exists already.`, { field: 'ags' });
    }
    return this.municipalities.insert(input);
  }

  async get(id: string): Promise<MunicipalityEntity> {
    const found = await this.municipalities.findById(id);
    if (!found) throw new NotFound('Municipality', id);
    return found;
  }

  list(limit: number, after?: { name: string; id: string }): Promise<MunicipalityEntity[]> {
    return this.municipalities.list(limit, after);
  }
}
