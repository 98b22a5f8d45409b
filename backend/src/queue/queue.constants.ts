/** Every queue the system uses; one `<domain>.processor.ts` handles each. */
export enum QueueName {
  Outbox = 'outbox',
}

/** Every job carries the organization it belongs to, so its processor re-enters that tenant. */
export interface JobData {
  organizationId: string;
  [key: string]: unknown;
}

export interface JobMeta {
  id: string;
  /** 1-based attempt number. */
  attempt: number;
}

export type JobHandler = (data: JobData, meta: JobMeta) => Promise<void>;
