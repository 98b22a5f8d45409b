import { Injectable, OnModuleInit } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { AppConfig } from '../../config/app-config';
import { JobData, QueueJob, QueueName, WORKER_OPTIONS } from '../../queue/queue.constants';
import { Workers } from '../../queue/workers';
import { WebhookDeliverer } from './webhook-deliverer';

/**
 * The webhooks queue's processor: one attempt per job. Jobs are idempotent: a delivery that is not
 * due, already taken, finished, or waiting behind an earlier one of its prompt is left alone.
 * Retries are not the queue's: the delivery row carries its next attempt time, and the dispatcher
 * enqueues it then.
 */
@Processor(QueueName.Webhooks, WORKER_OPTIONS)
export class WebhooksProcessor extends WorkerHost {
  constructor(private readonly deliverer: WebhookDeliverer) {
    super();
  }

  async process(job: QueueJob<JobData>): Promise<void> {
    const { organizationId, deliveryId } = job.data;
    if (typeof deliveryId !== 'string') return;
    await this.deliverer.attempt(organizationId, deliveryId);
  }
}

/**
 * Every WEBHOOK_DISPATCH_INTERVAL_MS (in processes that run the processors): enqueues deliveries
 * whose retry is due or whose enqueue was lost.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit {
  constructor(
    private readonly workers: Workers,
    private readonly deliverer: WebhookDeliverer,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.workers.every('webhook-dispatch', this.config.webhooks.dispatchIntervalMs, () =>
      this.deliverer.dispatchDue(),
    );
  }
}
