import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { SavedFilters } from '../search-filters';

/** A named query with its filters; visible to its owner, or to the whole organization when shared. */
@Entity({ name: 'saved_searches' })
export class SavedSearch {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  name: string;

  @Column('text')
  query: string;

  @Column('jsonb')
  filters: SavedFilters;

  @Column('boolean')
  shared: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A member asking for a daily e-mail of new matches of a saved search (their own or a shared one). */
@Entity({ name: 'search_subscriptions' })
export class SearchSubscription {
  @PrimaryColumn('uuid', { name: 'saved_search_id' })
  savedSearchId: string;

  @PrimaryColumn('uuid', { name: 'user_id' })
  userId: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  /** Matches created after this are new for the next digest. */
  @Column('timestamptz', { name: 'last_notified_at' })
  lastNotifiedAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** One of a user's last 20 distinct searches. */
@Entity({ name: 'recent_searches' })
export class RecentSearch {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  query: string;

  @Column('jsonb')
  filters: SavedFilters;

  @Column('text', { name: 'dedupe_key' })
  dedupeKey: string;

  @Column('timestamptz', { name: 'searched_at' })
  searchedAt: Date;
}
