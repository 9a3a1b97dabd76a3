import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createObjectStore } from './store.ts';

const credentials = { accessKeyId: 'stk-test-key', secretAccessKey: 'stk-test-secret-0123456789' };
let server: Server;
let directory: string;
let endpoint: string;
let client: S3Client;

function clientWith(secretAccessKey: string): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { ...credentials, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
}

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'objectstore-test-'));
  const store = createObjectStore({ directory, credentials, region: 'us-east-1', buckets: ['main'] });
  await store.prepare();
  server = createServer(store.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = clientWith(credentials.secretAccessKey);
});

after(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
  rmSync(directory, { recursive: true, force: true });
});

async function code(response: Response): Promise<string> {
  return /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1] ?? '';
}

test('a presigned PUT bound to type and length stores the object; GET by a presigned URL returns it', async () => {
  const body = 'x'.repeat(1024);
  const put = await getSignedUrl(
    client,
    new PutObjectCommand({ Bucket: 'main', Key: 'p/e/a b.png', ContentType: 'image/png', ContentLength: 1024 }),
    { expiresIn: 60, signableHeaders: new Set(['content-type']) },
  );
  assert.equal((await fetch(put, { method: 'PUT', body, headers: { 'content-type': 'image/png' } })).status, 200);
  const wrongType = await fetch(put, { method: 'PUT', body, headers: { 'content-type': 'image/gif' } });
  assert.equal(wrongType.status, 403);
  assert.equal(await code(wrongType), 'SignatureDoesNotMatch');
  const longer = await fetch(put, { method: 'PUT', body: `${body}y`, headers: { 'content-type': 'image/png' } });
  assert.equal(await code(longer), 'SignatureDoesNotMatch', 'the length is signed');
  const get = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'main', Key: 'p/e/a b.png' }), {
    expiresIn: 60,
  });
  const fetched = await fetch(get);
  assert.equal(fetched.status, 200);
  assert.equal(await fetched.text(), body);
});

test('anonymous, tampered, retargeted, wrongly keyed and expired requests are refused', async () => {
  assert.equal((await fetch(`${endpoint}/main/p/e/a%20b.png`)).status, 403, 'anonymous GET');
  assert.equal(
    await code(await fetch(`${endpoint}/main/anon.txt`, { method: 'PUT', body: 'x' })),
    'AccessDenied',
    'anonymous PUT',
  );
  const get = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'main', Key: 'p/e/a b.png' }), {
    expiresIn: 60,
  });
  const tampered = get.replace(
    /X-Amz-Signature=([0-9a-f])/,
    (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
  );
  assert.equal(await code(await fetch(tampered)), 'SignatureDoesNotMatch');
  assert.equal(await code(await fetch(get.replace('a%20b.png', 'other.png'))), 'SignatureDoesNotMatch', 'another key');
  assert.equal(await code(await fetch(get, { method: 'DELETE' })), 'SignatureDoesNotMatch', 'another method');
  const forged = await getSignedUrl(
    clientWith('not-the-secret-0123456789'),
    new GetObjectCommand({ Bucket: 'main', Key: 'p/e/a b.png' }),
    { expiresIn: 60 },
  );
  assert.equal(await code(await fetch(forged)), 'SignatureDoesNotMatch');
  const short = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'main', Key: 'p/e/a b.png' }), {
    expiresIn: 1,
  });
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  const expired = await fetch(short);
  assert.equal(expired.status, 403);
  assert.match(await expired.text(), /Request has expired/);
  await assert.rejects(
    clientWith('not-the-secret-0123456789').send(new DeleteObjectCommand({ Bucket: 'main', Key: 'p/e/a b.png' })),
    /signature/i,
  );
});

test('header-signed calls of the S3 client work: delete, and a multipart upload with its S3 rules', async () => {
  await client.send(new PutObjectCommand({ Bucket: 'main', Key: 'k/small.txt', Body: 'hello' }));
  await client.send(new DeleteObjectCommand({ Bucket: 'main', Key: 'k/small.txt' }));
  await assert.rejects(
    client.send(new GetObjectCommand({ Bucket: 'main', Key: 'k/small.txt' })),
    /NoSuchKey|does not exist/,
  );

  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({ Bucket: 'main', Key: 'k/big.bin', ContentType: 'video/mp4' }),
  );
  assert.match(UploadId ?? '', /^[0-9a-f]{32}$/);
  const partUrl = (n: number) =>
    getSignedUrl(client, new UploadPartCommand({ Bucket: 'main', Key: 'k/big.bin', UploadId, PartNumber: n }), {
      expiresIn: 60,
    });
  const first = await fetch(await partUrl(1), { method: 'PUT', body: Buffer.alloc(5 * 1024 * 1024, 1) });
  const second = await fetch(await partUrl(2), { method: 'PUT', body: Buffer.alloc(10, 2) });
  assert.deepEqual([first.status, second.status], [200, 200]);
  const parts = [
    { PartNumber: 1, ETag: first.headers.get('etag') ?? '' },
    { PartNumber: 2, ETag: second.headers.get('etag') ?? '' },
  ];
  assert.equal(
    (await client.send(new ListPartsCommand({ Bucket: 'main', Key: 'k/big.bin', UploadId }))).Parts?.length,
    2,
  );
  await assert.rejects(
    client.send(new ListPartsCommand({ Bucket: 'main', Key: 'k/other.bin', UploadId })),
    /NoSuchUpload|does not exist/,
    'an upload belongs to its key',
  );
  await assert.rejects(
    client.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'main',
        Key: 'k/big.bin',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00"' }] },
      }),
    ),
    /InvalidPart/,
  );
  await assert.rejects(
    client.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'main',
        Key: 'k/big.bin',
        UploadId,
        MultipartUpload: { Parts: [...parts].reverse() },
      }),
    ),
    /InvalidPartOrder|order/,
  );
  await client.send(
    new CompleteMultipartUploadCommand({
      Bucket: 'main',
      Key: 'k/big.bin',
      UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
  const object = await client.send(new GetObjectCommand({ Bucket: 'main', Key: 'k/big.bin' }));
  assert.equal(object.ContentLength, 5 * 1024 * 1024 + 10);
  await assert.rejects(
    client.send(new ListPartsCommand({ Bucket: 'main', Key: 'k/big.bin', UploadId })),
    /NoSuchUpload|does not exist/,
    'completed uploads are gone',
  );
  const unknown = await fetch(
    await getSignedUrl(
      client,
      new UploadPartCommand({ Bucket: 'main', Key: 'k/big.bin', UploadId: 'f'.repeat(32), PartNumber: 1 }),
      { expiresIn: 60 },
    ),
    { method: 'PUT', body: 'x' },
  );
  assert.equal(await code(unknown), 'NoSuchUpload');
});

test('small parts before the last are refused; abort discards the upload', async () => {
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'main', Key: 'k/a.bin' }));
  const upload = async (n: number) =>
    (
      await fetch(
        await getSignedUrl(client, new UploadPartCommand({ Bucket: 'main', Key: 'k/a.bin', UploadId, PartNumber: n }), {
          expiresIn: 60,
        }),
        { method: 'PUT', body: 'tiny' },
      )
    ).headers.get('etag') ?? '';
  const parts = [
    { PartNumber: 1, ETag: await upload(1) },
    { PartNumber: 2, ETag: await upload(2) },
  ];
  await assert.rejects(
    client.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'main',
        Key: 'k/a.bin',
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    ),
    /EntityTooSmall|smaller/,
  );
  const abort = await getSignedUrl(client, new ListPartsCommand({ Bucket: 'main', Key: 'k/a.bin', UploadId }), {
    expiresIn: 60,
  });
  assert.equal((await fetch(abort)).status, 200);
  const { AbortMultipartUploadCommand } = await import('@aws-sdk/client-s3');
  await client.send(new AbortMultipartUploadCommand({ Bucket: 'main', Key: 'k/a.bin', UploadId }));
  assert.equal(await code(await fetch(abort)), 'NoSuchUpload');
});

test('keys with dot segments never reach the files', async () => {
  const signed = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'main', Key: 'a/../../etc/passwd' }), {
    expiresIn: 60,
  });
  // node:http sends the path as given; fetch and URL would collapse the dots (and break the signature).
  const { hostname, port } = new URL(endpoint);
  const status = await new Promise<number | undefined>((resolve, reject) => {
    request({ host: hostname, port, path: signed.slice(endpoint.length) }, (response) =>
      resolve(response.resume().statusCode),
    )
      .on('error', reject)
      .end();
  });
  assert.equal(status, 400);
});

test('a host name in Host is not taken for a bucket (URLs signed for http://objectstore:4200 under compose)', async () => {
  const named = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://objectstore:4200',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const signed = await getSignedUrl(named, new PutObjectCommand({ Bucket: 'main', Key: 'vhost/x.txt' }), {
    expiresIn: 60,
  });
  const { hostname, port } = new URL(endpoint);
  const status = await new Promise<number | undefined>((resolve, reject) => {
    const put = request(
      {
        host: hostname,
        port,
        method: 'PUT',
        path: signed.slice('http://objectstore:4200'.length),
        headers: { host: 'objectstore:4200', 'content-length': '2' },
      },
      (response) => resolve(response.resume().statusCode),
    );
    put.on('error', reject).end('hi');
  });
  assert.equal(status, 200);
  assert.equal(
    await (
      await fetch(
        await getSignedUrl(client, new GetObjectCommand({ Bucket: 'main', Key: 'vhost/x.txt' }), { expiresIn: 60 }),
      )
    ).text(),
    'hi',
  );
});
