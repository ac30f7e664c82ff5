/**
 * A page that sends a photo through an upload form: `sendFile` asks the API
 * for a form, POSTs the file straight to S3 (a progress bar follows it, a
 * button cancels it) and calls the API with the reference. Bundle it for the
 * browser (esbuild, Vite, ...); it has no dependency.
 */
import { sendFile, UploadRequestError } from 'lambda-s3-spill/browser';

const input = document.querySelector<HTMLInputElement>('input[type=file]')!;
const bar = document.querySelector<HTMLProgressElement>('progress')!;
const cancel = document.querySelector<HTMLButtonElement>('button.cancel')!;

input.addEventListener('change', async () => {
  const photo = input.files?.[0];
  if (photo === undefined) return;
  const controller = new AbortController();
  cancel.onclick = () => controller.abort(new DOMException('Cancelled', 'AbortError'));
  try {
    const response = await sendFile(photo, {
      formUrl: 'https://api.example.com/upload-forms',
      apiUrl: 'https://api.example.com/photos',
      field: 'photo',
      body: { title: photo.name },
      onProgress: ({ loaded, total }) => {
        bar.max = total;
        bar.value = loaded;
      },
      signal: controller.signal,
    });
    console.log(response.status, await response.json()); // 200 { title, bytes, type, magic, sha256, key }, or 400 { message }
  } catch (error) {
    if (controller.signal.aborted) console.log('cancelled'); // rejected with the signal's reason, whichever step was running
    else if (error instanceof UploadRequestError) console.log(`the ${error.step} step failed`, error.status); // 0: the network
    else throw error;
  }
});
