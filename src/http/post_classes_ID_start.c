/* POST /v1/classes/{id}/start: the class's institution starts an accepted class, not before its
 * start date; completion is due --class-completion-days working days after the end date
 * (class_step.c). */
#include "classes.h"

void post_classes_ID_start(struct req *r)
{
    class_step(r, SR_CLASS_START);
}
