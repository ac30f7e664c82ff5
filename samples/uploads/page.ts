/**
 * A page that sends a photo through an upload form: `sendFile` asks the API
 * for a form, POSTs the file straight to S3 and calls the API with the
 * reference. Bundle it for the browser (esbuild, Vite, ...); it has no dependency.
 */
import { sendFile, UploadRequestError } from 'lambda-s3-spill/browser';

const input = document.querySelector<HTMLInputElement>('input[type=file]')!;
input.addEventListener('change', async () => {
  const photo = input.files?.[0];
  if (photo === undefined) return;
  try {
    const response = await sendFile(photo, {
      formUrl: 'https://api.example.com/upload-forms',
      apiUrl: 'https://api.example.com/photos',
      field: 'photo',
      body: { title: photo.name },
    });
    console.log(response.status, await response.json()); // 200 { title, bytes, type, sha256 }, or 400 { message }
  } catch (error) {
    if (error instanceof UploadRequestError) console.log(`the ${error.step} step failed`, error.status);
    else throw error;
  }
});
