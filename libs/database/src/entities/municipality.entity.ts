import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'municipalities' })
export class MunicipalityEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  /** Amtlicher Gemeindeschlüssel, 8 digits. */
  @Column('char', { length: 8, unique: true })
  ags: string;

  @Column('integer')
  population: number;

  @Column('double precision')
  lat: number;

  @Column('double precision')
  lon: number;

  /** ISO 3166-2 subdivision code for public holidays, e.g. `HE` for Hesse. */
  @Column('text', { default: 'HE' })
  state: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
