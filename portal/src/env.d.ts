/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Set by the middleware on every page behind sign-in. */
    session?: { token: string; user: import('./lib/cms').CmsUser };
    /** Set by the middleware when the rep could not be identified because the CMS failed. */
    problem?: import('./lib/problems').Problem;
  }
}
