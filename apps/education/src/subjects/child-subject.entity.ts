import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The opaque subject id education uses for a child on its source topic (CloudEvents subject and
 * Kafka key). A random UUID per personnummer, so one child's events share a key and stay in order,
 * while the key itself says nothing about the child.
 */
@Entity({ name: 'child_subjects' })
export class ChildSubject {
  @PrimaryColumn({ type: 'varchar', length: 12 })
  personnummer: string;

  @Column({ type: 'uuid', unique: true })
  subject: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
