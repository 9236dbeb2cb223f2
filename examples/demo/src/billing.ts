// Billing worker: reads invoices from S3. The credentials below are the kind of thing Sightline catches.
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';

const client = new S3Client({
  region: 'eu-west-1',
  credentials: {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLF',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
});

export async function invoice(id: string): Promise<string> {
  const out = await client.send(new GetObjectCommand({ Bucket: 'demo-invoices', Key: `${id}.json` }));
  return (await out.Body?.transformToString()) ?? '';
}
