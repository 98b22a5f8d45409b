import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A domain change waiting to be delivered to consumers; written in the change's own transaction. */
@Entity({ name: 'outbox_events' })
export class OutboxEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Insertion order (an identity sequence): the order the drain delivers rows in. */
  @Column({
    type: 'bigint',
    generated: 'identity',
    generatedIdentity: 'ALWAYS',
    insert: false,
    update: false,
  })
  seq: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  /** Dotted event type, e.g. `prompt.updated`. */
  @Column('text')
  type: string;

  @Column('text', { name: 'aggregate_type' })
  aggregateType: string;

  @Column('text', { name: 'aggregate_id' })
  aggregateId: string;

  @Column('jsonb', { default: {} })
  payload: Record<string, unknown>;

  @Column('timestamptz', { name: 'created_at', default: () => 'clock_timestamp()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'processed_at', nullable: true })
  processedAt: Date | null;

  @Column('int', { default: 0 })
  attempts: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;
}
