import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { humanFieldMessage } from './field-messages';
import { ProblemError } from './problem';

describe('humanFieldMessage', () => {
  it('rewrites class-validator wording into sentences', () => {
    expect(humanFieldMessage('email', 'email must be an email')).toBe(
      'Enter a valid e-mail address, like name@example.com.',
    );
    expect(humanFieldMessage('title', 'title should not be empty')).toBe('This field is required.');
    expect(humanFieldMessage('password', 'password must be longer than or equal to 12 characters')).toBe(
      'Use at least 12 characters.',
    );
    expect(humanFieldMessage('metadata.maxTokens', 'maxTokens must not be greater than 100000')).toBe(
      'Use a number no greater than 100000.',
    );
    expect(humanFieldMessage('role', 'role must be one of the following values: ADMIN, EDITOR')).toBe(
      'Choose one of: ADMIN, EDITOR.',
    );
    expect(humanFieldMessage('extra', 'property extra should not exist')).toBe(
      'This field is not accepted here.',
    );
  });

  it('has field-specific wording where the server names internals', () => {
    expect(
      humanFieldMessage(
        'metadataXml',
        'metadataXml has no SAML 2.0 EntityDescriptor with an IDPSSODescriptor',
      ),
    ).toMatch(/^This is not SAML 2.0 metadata/);
  });

  it('keeps a domain message that is already a sentence, and tidies an unknown one', () => {
    expect(humanFieldMessage('slug', 'Another prompt uses this slug')).toBe('Another prompt uses this slug');
    expect(humanFieldMessage('name', 'name contains a reserved word')).toBe('Contains a reserved word.');
  });

  it('is what every form gets from a 400 problem', () => {
    const error = new ProblemError(
      {
        type: 'about:blank',
        title: 'Bad request',
        status: 400,
        errors: [{ field: 'email', message: 'email must be an email' }],
      },
      new HttpErrorResponse({ status: 400, headers: new HttpHeaders() }),
      false,
    );
    expect(error.fieldErrors()).toEqual({ email: ['Enter a valid e-mail address, like name@example.com.'] });
  });
});
