import { AppError } from "@/lib/errors";

/**
 * Direct writes to an environment whose policy requires review are refused: changes there go
 * through an approved change request (the console's Save files one; automation posts one).
 */
export function reviewRequiredError(environment: { name: string; key: string }) {
  return new AppError(
    "REVIEW_REQUIRED",
    `${environment.name} requires review: propose this as a change request and have it approved (in the console, Save files one; over the API, POST /api/v1/projects/{project}/environments/${environment.key}/change-requests).`,
  );
}
