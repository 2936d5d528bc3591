// The API on a custom domain (`config.customDomain`): a regional API Gateway domain with its ACM certificate, the
// stage mapped at the domain's root or a base path, and, when a hosted zone is given, the Route 53 alias to it.
import { BasePathMapping, DomainName, EndpointType, type RestApi, SecurityPolicy } from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayDomain } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.js';

export type CustomDomainConfig = NonNullable<StageConfig['customDomain']>;

/** Where clients reach the API on the domain, as PUBLIC_API_URL wants it (no trailing slash). */
export function customDomainUrl({ domainName, basePath }: CustomDomainConfig): string {
  return `https://${domainName}${basePath ? `/${basePath}` : ''}`;
}

export class ApiDomain extends Construct {
  readonly domain: DomainName;

  constructor(scope: Construct, id: string, api: RestApi, config: CustomDomainConfig) {
    super(scope, id);
    this.domain = new DomainName(this, 'Domain', {
      domainName: config.domainName,
      // A regional endpoint takes a certificate of the stack's own region.
      certificate: Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn),
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    new BasePathMapping(this, 'Mapping', {
      domainName: this.domain,
      restApi: api,
      stage: api.deploymentStage,
      ...(config.basePath ? { basePath: config.basePath } : {}),
    });
    if (config.hostedZoneId && config.zoneName) {
      new ARecord(this, 'Alias', {
        zone: HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: config.hostedZoneId, zoneName: config.zoneName }),
        recordName: config.domainName,
        target: RecordTarget.fromAlias(new ApiGatewayDomain(this.domain)),
      });
    }
  }
}
