import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PositiveInt32Pipe } from '../http/int-param';
import { INT32_MAX, IsPositiveInt32 } from './numbers';

class Body {
  @IsPositiveInt32()
  version: number;
}

describe('positive int32', () => {
  const errors = (version: unknown) => validateSync(plainToInstance(Body, { version }));

  it('accepts 1..2^31-1 in a body', () => {
    expect(errors(1)).toHaveLength(0);
    expect(errors(INT32_MAX)).toHaveLength(0);
  });

  it.each([0, -1, 1.5, INT32_MAX + 1, 1e308, 2 ** 53 + 2, '1', null])('refuses %p in a body', (v) => {
    expect(errors(v)).toHaveLength(1);
  });

  it('the path pipe refuses what does not fit and names the parameter', () => {
    const pipe = new PositiveInt32Pipe('version');
    expect(pipe.transform('7')).toBe(7);
    expect(pipe.transform(7)).toBe(7);
    for (const v of ['99999999999999999999', '2147483648', '0', '', ' ', 'abc', '1.5', NaN, 1e20]) {
      expect(() => pipe.transform(v)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});
