import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type S3SpillOptions, s3Spill } from 'lambda-s3-spill';

// One instance per container. The namespace and service may come from
// POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME instead.
export const metrics = new Metrics({ namespace: 'Reports', serviceName: 'reports-api' });

async function listRows(event: APIGatewayProxyEventV2) {
  const rows = await loadRows(Number(event.queryStringParameters?.count ?? '10'));
  metrics.addMetric('RowsListed', MetricUnit.Count, rows.length);
  return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rows }) };
}

export function reportsHandler(spill: S3SpillOptions = {}) {
  return middy(listRows)
    // Spilled + SpilledBytes (or CompressedInline + CompressedInlineBytes) per changed response,
    // with the dimension utility=spill; one warning for a response over 4 MB that still fits.
    .use(s3Spill({ metrics, warnAtBytes: 4_000_000, ...spill }))
    .use(logMetrics(metrics)); // flushes RowsListed as usual: the spill's metrics are published apart
}

async function loadRows(count: number): Promise<{ id: number; title: string }[]> {
  return Array.from({ length: count }, (_, id) => ({ id, title: `report ${String(id).padStart(8, '0')}` }));
}
