/* POST /v1/classes/{id}/reject: an approver of the class's region (or its city) rejects a filed
 * class with reason codes and a reason; its trainees' places are freed (class_step.c). */
#include "classes.h"

void post_classes_ID_reject(struct req *r)
{
    class_step(r, SR_CLASS_REJECT);
}
