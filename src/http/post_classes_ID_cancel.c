/* POST /v1/classes/{id}/cancel: the class's institution cancels a filed or accepted class before
 * its start date; its trainees' places are freed (class_step.c). */
#include "classes.h"

void post_classes_ID_cancel(struct req *r)
{
    class_step(r, SR_CLASS_CANCEL);
}
