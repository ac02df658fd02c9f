import { AppError } from "@/lib/errors";

/** Direct writes to an environment whose policy requires review are refused until change requests exist. */
export function reviewRequiredError(environment: { name: string }) {
  return new AppError(
    "REVIEW_REQUIRED",
    `${environment.name} requires review: changes there must be proposed as a change request and approved. Change requests are not available in this version, so ${environment.name} cannot be changed from here.`,
  );
}
