import { describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import OpeningHoursEditor from '../../src/console/components/OpeningHoursEditor.vue'
import { emptyWeek, serializeHours, type WeekHours } from '../../src/shared/hours'

function mountEditor(initial: WeekHours) {
  const week = ref(initial)
  const Host = defineComponent({
    setup: () => () => h(OpeningHoursEditor, { modelValue: week.value, 'onUpdate:modelValue': (v: WeekHours) => (week.value = v) }),
  })
  const w = mount(Host, { global: { plugins: [ElementPlus] } })
  return { w, week }
}

describe('OpeningHoursEditor', () => {
  it('adds a first range of 09:00–18:00, then copies Monday to every day', async () => {
    const { w, week } = mountEditor(emptyWeek())
    expect(w.text()).toContain('休息（不营业）')
    await w.find('[data-test="add-0"]').trigger('click')
    expect(week.value[0]).toEqual([{ from: '09:00', to: '18:00' }])
    await w.find('[data-test="copy-0"]').trigger('click')
    expect(serializeHours(week.value)).toHaveLength(7)
    expect(w.text()).not.toContain('休息（不营业）')
  })
  it('starts a second range where the first ended, marks past-midnight ranges 次日 and reports overlaps', async () => {
    const week = emptyWeek()
    week[5] = [{ from: '09:00', to: '18:00' }]
    const { w, week: model } = mountEditor(week)
    await w.find('[data-test="add-5"]').trigger('click')
    expect(model.value[5][1]).toEqual({ from: '18:00', to: '' })
    model.value[5][1].to = '02:00'
    await w.vm.$nextTick()
    expect(w.find('[data-day="5"]').text()).toContain('次日')
    model.value[6] = [{ from: '01:00', to: '03:00' }]
    await w.vm.$nextTick()
    expect(w.find('[data-test="hours-problems"]').text()).toContain('时段重叠：周六 18:00–次日02:00 与 周日 01:00–03:00')
  })
})
