/* POST /v1/classes/{id}/accept: an approver of the class's region (or its city) accepts a filed
 * class; the next step's deadline is its start date (class_step.c). */
#include "classes.h"

void post_classes_ID_accept(struct req *r)
{
    class_step(r, SR_CLASS_ACCEPT);
}
