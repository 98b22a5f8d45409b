import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import { defineAbilityFor } from './ability.factory';
import { CheckPolicies, policiesOf, Public } from './decorators';

const mayReadPrompts = CheckPolicies((a) => a.can('read', 'Prompt'));
const mayManageCategories = CheckPolicies((a) => a.can('update', 'Category'));

@mayReadPrompts
class Guarded {
  @mayManageCategories
  narrowed(): void {}

  plain(): void {}
}

class Unguarded {
  @mayManageCategories
  only(): void {}

  none(): void {}
}

@Public()
class OpenClass {
  one(): void {}
}

class OpenMethod {
  @Public()
  one(): void {}
}

const reflector = new Reflector();
const allows = (handler: () => void, controller: abstract new () => unknown, role: 'ADMIN' | 'VIEWER') => {
  const ability = defineAbilityFor(role, null);
  return policiesOf(reflector, [handler, controller]).every((p) => p(ability));
};

describe('@CheckPolicies', () => {
  it("a method's policies add to its class's instead of replacing them", () => {
    expect(policiesOf(reflector, [Guarded.prototype.narrowed, Guarded])).toHaveLength(2);
    expect(allows(Guarded.prototype.narrowed, Guarded, 'ADMIN')).toBe(true);
    expect(allows(Guarded.prototype.narrowed, Guarded, 'VIEWER')).toBe(false);
  });

  it("the class's policies alone apply to a method without its own", () => {
    expect(policiesOf(reflector, [Guarded.prototype.plain, Guarded])).toHaveLength(1);
    expect(allows(Guarded.prototype.plain, Guarded, 'VIEWER')).toBe(true);
  });

  it('a method alone, or nothing at all', () => {
    expect(policiesOf(reflector, [Unguarded.prototype.only, Unguarded])).toHaveLength(1);
    expect(allows(Unguarded.prototype.only, Unguarded, 'VIEWER')).toBe(false);
    expect(policiesOf(reflector, [Unguarded.prototype.none, Unguarded])).toEqual([]);
  });
});

describe('@Public', () => {
  it('declares an empty security requirement on every handler, for a class or a method', () => {
    for (const handler of [OpenClass.prototype.one, OpenMethod.prototype.one]) {
      expect(Reflect.getMetadata(DECORATORS.API_OPERATION, handler)).toEqual({ security: [] });
    }
  });
});
