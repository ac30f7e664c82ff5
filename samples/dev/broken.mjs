// A sample handler that does not load: `lambda-s3-spill dev samples/dev/broken.mjs` must say so and exit 1.
throw new Error('this module fails while loading');
