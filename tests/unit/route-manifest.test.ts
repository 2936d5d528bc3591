import { describe, expect, it } from 'vitest';
import { apiFunctionNames, apiMethods, type RouteSpec } from '../../lambdas/functions.js';

const route = (path: string, extra: Partial<RouteSpec> = {}): RouteSpec => ({ methods: ['GET'], path, auth: 'none', function: 'health', ...extra });
const served = (routes: RouteSpec[]) => apiMethods(routes).map(({ method, route: r }) => `${method} ${r.path}`);

describe('the route manifest', () => {
  it('serves HEAD wherever GET is served, and only there', () => {
    expect(served([route('/a'), route('/b', { methods: ['POST'] })])).toEqual(['GET /a', 'HEAD /a', 'POST /b']);
  });

  it('takes literal and {name} segments, and refuses what API Gateway would not route the same way', () => {
    expect(served([route('/orders/{orderId}/refills')])).toEqual(['GET /orders/{orderId}/refills', 'HEAD /orders/{orderId}/refills']);
    for (const path of ['', 'api', '/api/', '/api//v2', '/{proxy+}', '/a/{}', '/a b']) expect(() => apiMethods([route(path)]), path).toThrow(/Route path/);
  });

  it('refuses two routes serving the same method on the same path, whatever their parameter names', () => {
    expect(() => apiMethods([route('/o/{a}'), route('/o/{b}')])).toThrow(/Two routes serve GET/);
  });

  it('names the authorizer of each auth kind; only request authorizers bring a function of their own', () => {
    expect(apiMethods([route('/admin/v1/x', { auth: 'adminCognito' })])[0]!.authorizer).toEqual({ type: 'cognito', name: 'admin' });
    expect(apiFunctionNames([route('/admin/v1/x', { auth: 'adminCognito', function: 'adminSettings' })])).toEqual(['adminSettings']);
    expect(apiMethods([route('/me', { auth: 'customerJwt' })])[0]!.authorizer).toMatchObject({ type: 'request', function: 'customerAuthorizer' });
    expect(apiMethods([route('/v2', { auth: 'resellerKey' })])[0]!.authorizer).toMatchObject({ type: 'request', function: 'apiAuthorizer' });
    expect(apiFunctionNames([route('/v2', { auth: 'resellerKey', function: 'resellerApi' }), route('/h')])).toEqual(['resellerApi', 'apiAuthorizer', 'health']);
  });
});
