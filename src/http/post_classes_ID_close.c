/* POST /v1/classes/{id}/close: an approver of the class's region (or its city) closes an
 * assessed class (class_step.c): assessed -> closed, audited, on its timeline. */
#include "classes.h"

void post_classes_ID_close(struct req *r)
{
    class_step(r, SR_CLASS_CLOSE);
}
