// In a *.dto.ts file so the Swagger CLI plugin documents these shapes (it reads no other files).

export class FieldErrorDto {
  field: string;
  message: string;
}

/** RFC 9457 problem details, the body of every error answer. */
export class ProblemDto {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  /** The X-Request-Id of the failed request, for support and logs. */
  requestId?: string;
  /** Machine-readable error code. */
  code: string;
  /** Field errors of a 400 or 422. */
  errors?: FieldErrorDto[];
}
