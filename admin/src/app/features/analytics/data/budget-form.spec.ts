import {
  addThreshold,
  budgetForm,
  budgetSettings,
  DEFAULT_THRESHOLDS,
  fillBudgetForm,
  limitError,
  parseThreshold,
  removeThreshold,
  thresholdsError,
} from './budget-form';

describe('budget form', () => {
  it('starts empty with the default thresholds and requires a limit', () => {
    const form = budgetForm();
    expect(form.getRawValue()).toEqual({
      monthlyLimitUsd: null,
      thresholds: [50, 80, 100],
      hardStop: false,
      monthlyReport: false,
    });
    expect(form.valid).toBe(false);
    expect(limitError(form.controls.monthlyLimitUsd)).toBe('Enter a monthly limit');
  });

  it('validates the limit: positive, at most two decimals, not absurdly large', () => {
    const form = budgetForm();
    const limit = form.controls.monthlyLimitUsd;
    limit.setValue(0);
    expect(limitError(limit)).toBe('The limit must be at least $0.01');
    limit.setValue(12.345);
    expect(limitError(limit)).toBe('Use at most two decimals');
    limit.setValue(20_000_000);
    expect(limitError(limit)).toBe('The limit can be at most $10,000,000');
    limit.setValue(250.5);
    expect(limitError(limit)).toBeNull();
    expect(form.valid).toBe(true);
  });

  it('validates thresholds: at least one, whole percents 1..100, no duplicates', () => {
    const form = budgetForm();
    const thresholds = form.controls.thresholds;
    thresholds.setValue([]);
    expect(thresholdsError(thresholds)).toBe('Add at least one threshold');
    thresholds.setValue([50, 1500]);
    expect(thresholdsError(thresholds)).toBe('Thresholds are whole percents from 1 to 1000');
    thresholds.setValue([50.5]);
    expect(thresholdsError(thresholds)).toBe('Thresholds are whole percents from 1 to 1000');
    thresholds.setValue([50, 50]);
    expect(thresholdsError(thresholds)).toBe('Each threshold once');
    thresholds.setValue([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(thresholdsError(thresholds)).toBe('At most 10 thresholds');
    thresholds.setValue([90, 150]);
    expect(thresholdsError(thresholds)).toBeNull();
  });

  it('reads typed thresholds and keeps the chips sorted and unique', () => {
    expect(parseThreshold('75')).toBe(75);
    expect(parseThreshold(' 75 % ')).toBe(75);
    expect(parseThreshold('0')).toBeNull();
    expect(parseThreshold('150')).toBe(150);
    expect(parseThreshold('1001')).toBeNull();
    expect(parseThreshold('7.5')).toBeNull();
    expect(parseThreshold('abc')).toBeNull();
    expect(addThreshold([50, 100], 80)).toEqual([50, 80, 100]);
    expect(addThreshold([50, 80], 80)).toEqual([50, 80]);
    expect(removeThreshold([50, 80, 100], 80)).toEqual([50, 100]);
  });

  it('fills from the saved budget and builds the PUT body', () => {
    const form = budgetForm();
    fillBudgetForm(form, {
      monthlyLimitUsd: 500,
      thresholds: [90, 25],
      hardStop: true,
      monthlyReport: true,
      spentUsd: 10,
      percent: 2,
      crossed: [],
    });
    expect(budgetSettings(form)).toEqual({
      monthlyLimitUsd: 500,
      thresholds: [25, 90],
      hardStop: true,
      monthlyReport: true,
    });
    // A budget never set (limit 0 or null) shows an empty limit and the defaults.
    fillBudgetForm(form, {
      monthlyLimitUsd: null,
      thresholds: [],
      hardStop: false,
      monthlyReport: false,
      spentUsd: 0,
      percent: null,
      crossed: [],
    });
    expect(form.getRawValue()).toEqual({
      monthlyLimitUsd: null,
      monthlyReport: false,
      thresholds: [...DEFAULT_THRESHOLDS],
      hardStop: false,
    });
    fillBudgetForm(form, null);
    expect(form.controls.monthlyLimitUsd.value).toBeNull();
  });
});
