import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { GERMAN_STATES } from '@allmende/bookings';
import { MunicipalityEntity } from '@allmende/database';
import { local } from '../common/dates';

export class LocationDto {
  @ApiProperty({ example: 51.185 })
  @IsDefined()
  @IsLatitude()
  lat: number;

  @ApiProperty({ example: 10.056 })
  @IsDefined()
  @IsLongitude()
  lon: number;
}

export class CreateMunicipalityDto {
  @ApiProperty({ example: 'Eschwege' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: '06636003', description: 'Amtlicher Gemeindeschlüssel, 8 digits' })
  @IsString()
  @Matches(/^\d{8}$/, { message: 'ags must be 8 digits' })
  ags: string;

  @ApiProperty({ example: 19500 })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  population: number;

  @ApiProperty({ type: LocationDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => LocationDto)
  location: LocationDto;

  @ApiPropertyOptional({ enum: GERMAN_STATES, default: 'HE' })
  @IsOptional()
  @IsIn(GERMAN_STATES)
  state?: string;
}

export class MunicipalityResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() ags: string;
  @ApiProperty() population: number;
  @ApiProperty({ type: LocationDto }) location: LocationDto;
  @ApiProperty() state: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) createdAtLocal: string;
}

export function mapMunicipality(m: MunicipalityEntity): MunicipalityResponse {
  return {
    id: m.id,
    name: m.name,
    ags: m.ags,
    population: m.population,
    location: { lat: m.lat, lon: m.lon },
    state: m.state,
    createdAt: m.createdAt.toISOString(),
    createdAtLocal: local(m.createdAt),
  };
}
