import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The opaque subject id leisure uses for an identified participant on its source topic (the
 * CloudEvents subject and Kafka key): one per personnummer, so one person's course events stay in
 * order, and the personnummer itself never becomes a key or header.
 */
@Entity({ name: 'participant_subjects' })
export class ParticipantSubject {
  @PrimaryColumn({ type: 'text' })
  personnummer: string;

  @Column({ type: 'uuid', unique: true })
  subject: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
