import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The opaque subject id social services uses for a child on its source topic (CloudEvents
 * `subject`, the Kafka key): one per personnummer, so one child's events stay in order, and the
 * personnummer itself never becomes a message key or header.
 */
@Entity({ name: 'child_subjects' })
export class ChildSubject {
  @PrimaryColumn({ type: 'text' })
  personnummer: string;

  @Column({ type: 'uuid', unique: true })
  subject: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
