import { ApiProblems } from '../../common/http/api-problems.decorator';
import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public, PublicWhen } from '../../authz/decorators';
import { AppConfig } from '../../config/app-config';
import { JobQueue } from '../../queue/job-queue';
import { SearchService } from '../search/search.service';
import { HealthProbeResponseDto, HealthResponseDto } from './dto/health.response.dto';

const ES_TIMEOUT_MS = 1500;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly config: AppConfig,
    private readonly searchService: SearchService,
  ) {}

  /**
   * The probe for load balancers and orchestrators, in Terminus's shape: 200 `{status: "ok", info,
   * error, details}` when the database, the queue and search are up, 503 `{status: "error", …}`
   * otherwise. Public, so each part says only `up` or `down`: drivers and why a part is down are in
   * `GET /health/details`.
   */
  @Get()
  @Public()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthProbeResponseDto, description: 'Every part is up.' })
  @ApiServiceUnavailableResponse({ type: HealthProbeResponseDto, description: 'At least one part is down.' })
  // Only input the shared input guard refuses (e.g. a NUL byte in the query string).
  @ApiProblems(400)
  async probe(@Res({ passthrough: true }) res: Response): Promise<HealthProbeResponseDto> {
    const report = await this.report(res);
    const statuses = (parts: Partial<HealthIndicatorResult> | undefined) =>
      parts &&
      Object.fromEntries(
        Object.entries(parts).flatMap(([name, part]) => (part ? [[name, { status: part.status }]] : [])),
      );
    return {
      status: report.status,
      info: statuses(report.info),
      error: statuses(report.error),
      details: statuses(report.details) ?? {},
    };
  }

  /**
   * The detailed report the console's System status page shows: each part's state and driver, and
   * why a part is down. Signed-in callers only (a bearer token or an API key), unless the operator
   * sets `STATUS_PAGE_PUBLIC=true`. 200 with `status: "ok"` when all are up; 503 with the same
   * shape naming what is down.
   */
  @Get('details')
  @PublicWhen((config) => config.statusPagePublic)
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthResponseDto, description: 'Every part is up (Terminus shape).' })
  @ApiServiceUnavailableResponse({
    type: HealthResponseDto,
    description: 'At least one part is down; `error` names it.',
  })
  @ApiProblems(400, 401)
  details(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return this.report(res);
  }

  /** Runs the checks; a part down sets the response to 503 and is answered, not thrown. */
  private async report(res: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database(), () => this.queueCheck(), () => this.search()]);
    } catch (err) {
      if (err instanceof ServiceUnavailableException) {
        res.status(503);
        return err.getResponse() as HealthCheckResult;
      }
      throw err;
    }
  }

  private async database() {
    const session = this.indicator.check('database');
    const driver = this.config.databaseDriver;
    try {
      await this.dataSource.query('SELECT 1');
      return session.up({ driver });
    } catch (err) {
      return session.down({ driver, message: (err as Error).message });
    }
  }

  private async queueCheck() {
    const session = this.indicator.check('queue');
    const driver = this.queue.driver;
    try {
      await this.queue.ping();
      return session.up({ driver, workers: this.config.workers });
    } catch (err) {
      return session.down({ driver, message: (err as Error).message });
    }
  }

  /** Elasticsearch being down degrades search to Postgres rather than failing it, so it stays up. */
  private async search() {
    const session = this.indicator.check('search');
    if (this.config.searchDriver === 'postgres') return session.up({ driver: 'postgres' });
    try {
      const res = await fetch(`${this.config.elasticsearchUrl}/_cluster/health`, {
        signal: AbortSignal.timeout(ES_TIMEOUT_MS),
      });
      const body = (await res.json()) as { status?: string };
      if (!res.ok || body.status === 'red') throw new Error(`cluster status ${body.status ?? res.status}`);
      // Reachable again, but the last search may still have fallen back (it says since when).
      const { fallbackSince } = this.searchService.status();
      return session.up({
        driver: 'elasticsearch',
        cluster: body.status,
        ...(fallbackSince ? { fallbackSince } : {}),
      });
    } catch (err) {
      const { fallbackSince } = this.searchService.status();
      return session.up({
        driver: 'elasticsearch',
        degraded: true,
        fallback: 'postgres',
        message: (err as Error).message,
        ...(fallbackSince ? { fallbackSince } : {}),
      });
    }
  }
}
