// The execution roles of most functions (and the policies granted to them), in a nested stack of their own: with a role
// and a policy per function, they took the Codex stack to CloudFormation's 500 resources. Roles hold no data: moving
// one makes a new role that the function switches to in place, then the old one is deleted.
import { NestedStack, Stack } from 'aws-cdk-lib';
import type { Construct, IConstruct } from 'constructs';

export class FunctionRoles extends NestedStack {
  static readonly ID = 'FunctionRoles';

  /** The stack's nested stack of roles, when it has one (the Codex stack makes it first thing). */
  static find(scope: IConstruct): FunctionRoles | undefined {
    const stack = Stack.of(scope);
    const root = stack instanceof NestedStack ? Stack.of(stack.node.scope!) : stack;
    const found = root.node.tryFindChild(FunctionRoles.ID);
    return found instanceof FunctionRoles ? found : undefined;
  }

  /** A unique id for a role made for the construct `id` under `scope`, from the scope's path in its stack. */
  static roleId(scope: Construct, id: string): string {
    const stack = Stack.of(scope);
    const path = scope.node.scopes.slice(scope.node.scopes.indexOf(stack) + 1).map((c) => c.node.id);
    return [...path, `${id}Role`].join('-');
  }

  constructor(scope: Stack, stage: string) {
    super(scope, FunctionRoles.ID, { description: `Codex ${stage}: execution roles of the functions and their policies` });
  }
}
