// The X-Ray SDK as Powertools Tracer uses it on Lambda, built from the SDK's own files: every bundle aliases
// 'aws-xray-sdk-core' here (lib/bundling.ts). The SDK's index also loads what Lambda never runs (the SDK v2 patcher
// and semver with it, EC2/ECS/Beanstalk plugins, SQL and promise capture, Express middleware). The paths go through
// node_modules because the alias would catch 'aws-xray-sdk-core/...' too.
import * as capture from '../../../node_modules/aws-xray-sdk-core/dist/lib/capture.js';
import * as contextUtils from '../../../node_modules/aws-xray-sdk-core/dist/lib/context_utils.js';
import { setDaemonAddress } from '../../../node_modules/aws-xray-sdk-core/dist/lib/daemon_config.js';
// @ts-expect-error: the SDK ships no types for its Lambda set-up (a facade segment fed by _X_AMZN_TRACE_ID).
import * as lambdaEnv from '../../../node_modules/aws-xray-sdk-core/dist/lib/env/aws_lambda.js';
import { getLogger, setLogger } from '../../../node_modules/aws-xray-sdk-core/dist/lib/logger.js';
import { captureAWSClient as captureAWSv3Client } from '../../../node_modules/aws-xray-sdk-core/dist/lib/patchers/aws3_p.js';
import { captureHTTPsGlobal } from '../../../node_modules/aws-xray-sdk-core/dist/lib/patchers/http_p.js';
import Subsegment from '../../../node_modules/aws-xray-sdk-core/dist/lib/segments/attributes/subsegment.js';
import Segment from '../../../node_modules/aws-xray-sdk-core/dist/lib/segments/segment.js';
import * as segmentUtils from '../../../node_modules/aws-xray-sdk-core/dist/lib/segments/segment_utils.js';
import { name as sdkPackage, version as sdkVersion } from '../../../node_modules/aws-xray-sdk-core/package.json';

const noSdkV2 = (): never => {
  throw new Error('The AWS SDK v2 patcher is not bundled: use captureAWSv3Client');
};

// What the SDK's index does when it loads.
segmentUtils.setSDKData({ sdk: 'X-Ray for Node.js', sdk_version: sdkVersion, package: sdkPackage });
segmentUtils.setServiceData({ runtime: process.release?.name ?? 'unknown', runtime_version: process.version, version: 'unknown', name: 'unknown' });
if (process.env.LAMBDA_TASK_ROOT) lambdaEnv.init();

export default {
  captureAWS: noSdkV2,
  captureAWSClient: noSdkV2,
  captureAWSv3Client,
  captureAsyncFunc: capture.captureAsyncFunc,
  captureFunc: capture.captureFunc,
  captureHTTPsGlobal,
  getNamespace: contextUtils.getNamespace,
  getSegment: contextUtils.getSegment,
  setSegment: contextUtils.setSegment,
  setContextMissingStrategy: contextUtils.setContextMissingStrategy,
  setDaemonAddress,
  setLogger,
  getLogger,
  Segment,
  Subsegment,
};
