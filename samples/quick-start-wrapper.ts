import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { withS3Spill } from 'lambda-s3-spill';

async function listCities(_event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const cities = await loadCities(); // may be 17 MB of JSON: over Lambda's 6 MB response limit
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(cities),
  };
}

// No Middy: the wrapper measures the handler's result and answers a failed spill itself.
// The bucket comes from S3_SPILL_BUCKET (set by SpillBucket.connect() or the SAM template).
export const handler = withS3Spill(listCities);

async function loadCities(): Promise<object[]> {
  return Array.from({ length: 150_000 }, (_, i) => ({ id: i, name: `City ${i}`, country: 'AD' }));
}
