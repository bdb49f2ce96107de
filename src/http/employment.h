#ifndef SD_HTTP_EMPLOYMENT_H
#define SD_HTTP_EMPLOYMENT_H

/* The employment records' import (POST /v1/admin/employment-records): the handlers' helpers and
 * the rows (employment_rows.h).  What a claim takes from the records is src/flow/employment.h. */

#include "claims.h"
#include "employment_rows.h"

#endif
